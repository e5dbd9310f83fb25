(function(){
function check(){var imgs=Array.prototype.slice.call(document.images);
var bad=imgs.filter(function(i){return !(i.complete&&i.naturalWidth>0&&i.naturalHeight>0);});
var d=document.documentElement;d.setAttribute('data-figures',(bad.length?'broken:':'ok:')+
(bad.length||imgs.length));var s=document.getElementById('selfcheck');
if(s){s.textContent=bad.length?(bad.length+' of '+imgs.length+' figures failed to display'):
('self-check: all '+imgs.length+' figures displayed');if(bad.length)s.className='note';}}
if(document.readyState==='complete')check();else window.addEventListener('load',check);
Array.prototype.forEach.call(document.querySelectorAll('.fig img'),function(i){
i.addEventListener('click',function(){i.classList.toggle('zoom');});});
Array.prototype.forEach.call(document.querySelectorAll('input.filter'),function(box){
var t=document.getElementById(box.getAttribute('data-table'));
var c=document.getElementById(box.getAttribute('data-count'));
box.addEventListener('input',function(){var q=box.value.toLowerCase().trim().split(/\s+/);
var n=0;Array.prototype.forEach.call(t.tBodies[0].rows,function(r){
var s=r.textContent.toLowerCase();
var ok=q.every(function(w){return s.indexOf(w)>=0;});r.style.display=ok?'':'none';if(ok)n++;});
if(c)c.textContent=n+' of '+t.tBodies[0].rows.length+' shown';});});
})();
